/** The station part's strings (see ../feature.ts). */
import { featureMessages } from "../feature";

export const stationMessages = featureMessages({}, {});
