/** The checkout part's strings (see ../feature.ts). */
import { featureMessages } from "../feature";

export const checkoutMessages = featureMessages({}, {});
