import type { TAgentStatus } from '@peakdesk/contracts';

/**
 * An agent's presence: `users.status` and, while away, the status to restore
 * (`agent_presence.away_from`). `applyPresence` (routing.repository) is the only writer of both: it
 * locks the user row, applies `transitionPresence` and writes the result with its fact and event.
 */
export type PresenceState = {
  status: TAgentStatus;
  /** Set only while `away`: what the agent was (online or paused) when the sweep found no socket. */
  awayFrom: 'online' | 'paused' | null;
};

export type PresenceEvent =
  /** The agent chose a status (`PUT /api/me/status`). `away` is not theirs to choose. */
  | { type: 'manual'; status: TAgentStatus }
  /** The sweep found no socket on any instance for the grace period. */
  | { type: 'no_sockets' }
  /** The agent missed a reply deadline; `misses` in a row, `pauseAfter` the group's limit (null: none). */
  | { type: 'missed_replies'; misses: number; pauseAfter: number | null }
  /** The agent's first socket (on an instance) connected. */
  | { type: 'reconnected' }
  /** An admin disabled the user. */
  | { type: 'disabled' };

/** Why the status changed, as the `agent.status_changed` fact carries it. */
export type PresenceReason = 'manual' | 'no_sockets' | 'missed_replies' | 'reconnected' | 'disabled';

export type PresenceError = { code: 'status_not_settable'; field: 'status'; message: string };

export type PresenceTransition =
  | { ok: true; next: PresenceState; changed: boolean; reason: PresenceReason }
  | { ok: false; error: PresenceError };

const same = (a: PresenceState, b: PresenceState) => a.status === b.status && a.awayFrom === b.awayFrom;

/**
 * The presence state machine. Pure; no I/O. A no-op (`changed: false`) is not an error: a reconnect
 * of an agent who was not away, a missed reply of an agent who is not online (or under the limit),
 * the sweep meeting an agent already offline or away. The only refusal is a manual `away`.
 */
export function transitionPresence(current: PresenceState, event: PresenceEvent): PresenceTransition {
  const reason: PresenceReason = event.type;
  const to = (next: PresenceState): PresenceTransition => ({
    ok: true,
    next,
    changed: !same(current, next),
    reason,
  });
  const stay = to(current);
  switch (event.type) {
    case 'manual':
      if (event.status === 'away')
        return {
          ok: false,
          error: {
            code: 'status_not_settable',
            field: 'status',
            message:
              'status: away is set by the router (no connection for the grace period); choose online, paused or offline',
          },
        };
      return to({ status: event.status, awayFrom: null });
    case 'no_sockets':
      return current.status === 'online' || current.status === 'paused'
        ? to({ status: 'away', awayFrom: current.status })
        : stay;
    case 'missed_replies':
      return current.status === 'online' &&
        event.pauseAfter !== null &&
        event.pauseAfter > 0 &&
        event.misses >= event.pauseAfter
        ? to({ status: 'paused', awayFrom: null })
        : stay;
    case 'reconnected':
      return current.status === 'away' ? to({ status: current.awayFrom ?? 'online', awayFrom: null }) : stay;
    case 'disabled':
      return to({ status: 'offline', awayFrom: null });
  }
}
