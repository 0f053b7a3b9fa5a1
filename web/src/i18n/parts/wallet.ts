/** The wallet part's strings (see ../feature.ts). */
import { featureMessages } from "../feature";

export const walletMessages = featureMessages({}, {});
