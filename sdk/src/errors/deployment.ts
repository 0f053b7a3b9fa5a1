import { CityPointsError, type CityPointsErrorOptions } from "./base";

export class InvalidDeploymentError extends CityPointsError {
  override name = "InvalidDeploymentError" as const;
  constructor(shortMessage: string, options: CityPointsErrorOptions = {}) {
    super("INVALID_DEPLOYMENT", shortMessage, options);
  }
}
