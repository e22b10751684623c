import { describe, expect, it } from 'vitest';
import { type PresenceEvent, type PresenceState, transitionPresence } from './presence-machine.ts';

/** A state by its label: the status, or `away<from` for an away agent with the status to restore. */
function stateOf(label: string): PresenceState {
  const [status, from] = label.split('<') as [PresenceState['status'], PresenceState['awayFrom'] | undefined];
  return { status, awayFrom: from ?? null };
}
const labelOf = (s: PresenceState) => (s.awayFrom ? `${s.status}<${s.awayFrom}` : s.status);

const events: [string, PresenceEvent][] = [
  ['manual online', { type: 'manual', status: 'online' }],
  ['manual paused', { type: 'manual', status: 'paused' }],
  ['manual offline', { type: 'manual', status: 'offline' }],
  ['manual away', { type: 'manual', status: 'away' }],
  ['no_sockets', { type: 'no_sockets' }],
  ['missed 1 of 2', { type: 'missed_replies', misses: 1, pauseAfter: 2 }],
  ['missed 2 of 2', { type: 'missed_replies', misses: 3, pauseAfter: 2 }],
  ['missed, no limit', { type: 'missed_replies', misses: 9, pauseAfter: null }],
  ['reconnected', { type: 'reconnected' }],
  ['disabled', { type: 'disabled' }],
];

// Every (state, event) pair: the next state's label, `=` for a no-op (nothing written), ✗ for refused.
// Columns follow `events`.
const X = '✗';
const S = '=';
const table: Record<string, string[]> = {
  online: [S, 'paused', 'offline', X, 'away<online', S, 'paused', S, S, 'offline'],
  paused: ['online', S, 'offline', X, 'away<paused', S, S, S, S, 'offline'],
  offline: ['online', 'paused', S, X, S, S, S, S, S, S],
  'away<online': ['online', 'paused', 'offline', X, S, S, S, S, 'online', 'offline'],
  'away<paused': ['online', 'paused', 'offline', X, S, S, S, S, 'paused', 'offline'],
  // away without a remembered status (older rows): back online
  away: ['online', 'paused', 'offline', X, S, S, S, S, 'online', 'offline'],
};

const reasonOf: Record<PresenceEvent['type'], string> = {
  manual: 'manual',
  no_sockets: 'no_sockets',
  missed_replies: 'missed_replies',
  reconnected: 'reconnected',
  disabled: 'disabled',
};

describe('presence machine: every state × event', () => {
  for (const [from, row] of Object.entries(table)) {
    events.forEach(([name, event], i) => {
      const expected = row[i]!;
      it(`${from} + ${name} → ${expected}`, () => {
        const current = stateOf(from);
        const t = transitionPresence(current, event);
        if (expected === X) {
          expect(t.ok).toBe(false);
          return;
        }
        if (!t.ok) throw new Error(`refused: ${t.error.message}`);
        expect(t.reason).toBe(reasonOf[event.type]);
        if (expected === S) {
          expect(t.changed).toBe(false);
          expect(t.next).toEqual(current);
        } else {
          expect(t.changed).toBe(true);
          expect(labelOf(t.next)).toBe(expected);
        }
      });
    });
  }

  it('the table covers every status and every event kind', () => {
    expect(Object.keys(table).map((l) => stateOf(l).status)).toEqual(
      expect.arrayContaining(['online', 'paused', 'offline', 'away']),
    );
    expect(new Set(events.map(([, e]) => e.type))).toEqual(new Set(Object.keys(reasonOf)));
    for (const row of Object.values(table)) expect(row).toHaveLength(events.length);
  });

  it('a manual away is refused with a code and the field, whatever the state', () => {
    for (const from of Object.keys(table)) {
      const t = transitionPresence(stateOf(from), { type: 'manual', status: 'away' });
      expect(t).toEqual({
        ok: false,
        error: { code: 'status_not_settable', field: 'status', message: expect.stringContaining('away') },
      });
    }
  });

  it('a limit of 0 never pauses; away remembers only online or paused', () => {
    const t = transitionPresence(stateOf('online'), { type: 'missed_replies', misses: 5, pauseAfter: 0 });
    expect(t).toMatchObject({ ok: true, changed: false });
    const away = transitionPresence(stateOf('paused'), { type: 'no_sockets' });
    expect(away).toMatchObject({ ok: true, next: { status: 'away', awayFrom: 'paused' } });
    // Leaving away by hand forgets the remembered status, so a later reconnect changes nothing.
    const manual = transitionPresence(stateOf('away<paused'), { type: 'manual', status: 'offline' });
    expect(manual).toMatchObject({ ok: true, next: { status: 'offline', awayFrom: null } });
  });
});
