import { CorridorState } from "../types/corridor.js";

/**
 * Who may move a corridor through its lifecycle (SPEC "Harbors and corridors"). Every move is made
 * by the authority of one of the corridor's two harbors, as `proposer` (it starts something) or
 * `acceptor` (it agrees to what the other side started). docs/protocol.md repeats this table.
 *
 * | from      | to         | role     | who                                  | result                        |
 * | --------- | ---------- | -------- | ------------------------------------ | ----------------------------- |
 * | DRAFT     | PENDING    | proposer | either side                          | PENDING, initiator = it       |
 * | PENDING   | ACTIVE     | acceptor | the side that did not propose        | ACTIVE                        |
 * | ACTIVE    | SUSPENDED  | proposer | either side                          | SUSPENDED, initiator = it     |
 * | SUSPENDED | ACTIVE     | proposer | the side that suspended              | ACTIVE                        |
 * | ACTIVE    | HALTED     | proposer | either side                          | HALTED, initiator = it        |
 * | HALTED    | ACTIVE     | proposer | either side, no resume proposed yet  | stays HALTED, resume proposed |
 * | HALTED    | ACTIVE     | acceptor | the side that did not propose resume | ACTIVE                        |
 * | HALTED    | DEPRECATED | proposer | either side                          | DEPRECATED (terminal)         |
 *
 * Why: opening or reopening a corridor binds both jurisdictions, so it takes both. Stopping binds
 * no one to anything new, so either side may stop alone: a suspension is one side's pause, which
 * only that side lifts; a halt is an emergency stop, lifted only by both. Either side may deprecate
 * a halted corridor: it could already keep it halted forever by never accepting a resume, so
 * deprecation only makes that final. Value in flight when a corridor stops is refunded at its timeout.
 * Everything else is refused, with the reason as a LifecycleFault.
 */

export type LifecycleRole = "proposer" | "acceptor";

export interface LifecycleActor {
  /** The acting harbor's id (its authority signed the move). */
  harbor: string;
  role: LifecycleRole;
}

/** A corridor's lifecycle state and who made the moves the next one depends on. */
export interface CorridorLifecycle {
  state: CorridorState;
  /** The harbor that moved the corridor into its state (proposer of PENDING, suspender, halter). */
  initiator?: string;
  /** On a HALTED corridor, the harbor that proposed resuming it. */
  resumeProposer?: string;
}

export enum LifecycleFault {
  /** The SPEC's graph has no edge from this state to that one. */
  NoSuchTransition = "NO_SUCH_TRANSITION",
  /** DEPRECATED is terminal. */
  Terminal = "TERMINAL",
  /** The acting harbor is not one of the corridor's two. */
  NotAParty = "NOT_A_PARTY",
  /** The move is made as proposer when it needs an acceptor, or the reverse. */
  WrongRole = "WRONG_ROLE",
  /** An acceptance by the side that proposed: it needs the other side. */
  SameSide = "SAME_SIDE",
  /** A suspension lifted by the side that did not suspend. */
  NotTheSuspender = "NOT_THE_SUSPENDER",
  /** An acceptance of a resume nobody proposed. */
  NoProposal = "NO_PROPOSAL",
  /** A resume proposed when one is already pending: the other side accepts it instead. */
  ProposalPending = "PROPOSAL_PENDING",
}

type Rule = (lifecycle: CorridorLifecycle, by: LifecycleActor) => LifecycleFault | undefined;

const byProposer: Rule = (_, by) => (by.role === "proposer" ? undefined : LifecycleFault.WrongRole);

const RULES: ReadonlyMap<CorridorState, ReadonlyMap<CorridorState, Rule>> = new Map([
  [CorridorState.Draft, new Map([[CorridorState.Pending, byProposer]])],
  [
    CorridorState.Pending,
    new Map<CorridorState, Rule>([
      [
        CorridorState.Active,
        (lifecycle, by) => {
          if (by.role !== "acceptor") return LifecycleFault.WrongRole;
          return by.harbor === lifecycle.initiator ? LifecycleFault.SameSide : undefined;
        },
      ],
    ]),
  ],
  [
    CorridorState.Active,
    new Map([
      [CorridorState.Suspended, byProposer],
      [CorridorState.Halted, byProposer],
    ]),
  ],
  [
    CorridorState.Suspended,
    new Map<CorridorState, Rule>([
      [
        CorridorState.Active,
        (lifecycle, by) => {
          if (by.role !== "proposer") return LifecycleFault.WrongRole;
          return by.harbor === lifecycle.initiator ? undefined : LifecycleFault.NotTheSuspender;
        },
      ],
    ]),
  ],
  [
    CorridorState.Halted,
    new Map<CorridorState, Rule>([
      [
        CorridorState.Active,
        ({ resumeProposer }, by) => {
          if (by.role === "proposer")
            return resumeProposer === undefined ? undefined : LifecycleFault.ProposalPending;
          if (resumeProposer === undefined) return LifecycleFault.NoProposal;
          return by.harbor === resumeProposer ? LifecycleFault.SameSide : undefined;
        },
      ],
      [CorridorState.Deprecated, byProposer],
    ]),
  ],
]);

/** Why `by` may not move a corridor between `harbors` from `lifecycle` to `to`; undefined when it may. */
export function transitionFault(
  harbors: readonly [string, string],
  lifecycle: CorridorLifecycle,
  to: CorridorState,
  by: LifecycleActor,
): LifecycleFault | undefined {
  if (lifecycle.state === CorridorState.Deprecated) return LifecycleFault.Terminal;
  const rule = RULES.get(lifecycle.state)?.get(to);
  if (rule === undefined) return LifecycleFault.NoSuchTransition;
  if (!harbors.includes(by.harbor)) return LifecycleFault.NotAParty;
  return rule(lifecycle, by);
}

/** The lifecycle after an allowed move (check `transitionFault` first): a resume proposal keeps HALTED. */
export function applyTransition(
  lifecycle: CorridorLifecycle,
  to: CorridorState,
  by: LifecycleActor,
): CorridorLifecycle {
  if (lifecycle.state === CorridorState.Halted && to === CorridorState.Active && by.role === "proposer") {
    return { ...lifecycle, resumeProposer: by.harbor };
  }
  return { state: to, initiator: by.harbor };
}

/** Only an ACTIVE corridor takes new departures; arrivals, refusals and refunds pass in any state. */
export function acceptsDepartures(state: CorridorState): boolean {
  return state === CorridorState.Active;
}
