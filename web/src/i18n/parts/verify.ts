/** The verify part's strings (see ../feature.ts). */
import { featureMessages } from "../feature";

export const verifyMessages = featureMessages({}, {});
