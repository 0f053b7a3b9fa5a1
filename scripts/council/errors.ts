/**
 * The council tool's one error: a stable code, a message for people, and the exit status it maps
 * to (2 bad input, 1 refused by the council or the ledger, 3 the chain could not be reached).
 */
export const COUNCIL_EXIT = { ok: 0, refused: 1, usage: 2, chain: 3 } as const;

export type CouncilErrorCode =
  | "UNKNOWN_ACTION"
  | "INVALID_ARGUMENT"
  | "KEY_FILE"
  | "INVALID_DEPLOYMENT"
  | "NOT_A_MEMBER"
  | "REFUSED"
  | "CHAIN";

const EXIT_OF: Record<CouncilErrorCode, number> = {
  UNKNOWN_ACTION: COUNCIL_EXIT.usage,
  INVALID_ARGUMENT: COUNCIL_EXIT.usage,
  KEY_FILE: COUNCIL_EXIT.usage,
  INVALID_DEPLOYMENT: COUNCIL_EXIT.usage,
  NOT_A_MEMBER: COUNCIL_EXIT.refused,
  REFUSED: COUNCIL_EXIT.refused,
  CHAIN: COUNCIL_EXIT.chain,
};

export class CouncilToolError extends Error {
  override readonly name = "CouncilToolError" as const;
  readonly exitCode: number;

  constructor(
    readonly code: CouncilErrorCode,
    message: string,
  ) {
    super(message);
    this.exitCode = EXIT_OF[code];
  }
}
