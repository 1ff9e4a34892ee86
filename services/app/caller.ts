/** Who is calling, once an entry point has authenticated them. */
export interface Caller {
  /** Principal ARN (AWS), `token:<team>:<hash prefix>` (local), `slack:<workspace>:<user>`, `ecr:<event>`: recorded as the actor. */
  readonly principal: string;
  readonly team: string;
  /** The admin team manages settings and may act on every function. */
  readonly admin: boolean;
}
