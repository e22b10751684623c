import type { TQuickReply } from '@peakdesk/contracts';
import type { KeyboardEvent } from 'react';
import { useEffect, useMemo, useState } from 'react';
import { filterQuickReplies, listQuickReplies } from './quick-replies-api.ts';

const MAX_OPTIONS = 8;

/** The picker opens while the draft is a single line starting with `/`; the rest is the search. */
function quickReplyQuery(draft: string): string | null {
  if (!draft.startsWith('/') || draft.includes('\n')) return null;
  return draft.slice(1);
}

/**
 * Quick-reply search for a compose box: loads the agent's replies once, filters as they type, and
 * handles ↑ ↓ Enter Esc while open. `onPick` receives the chosen reply (variables not yet filled).
 */
export function useQuickReplyPicker(draft: string, onPick: (reply: TQuickReply) => void) {
  const query = quickReplyQuery(draft);
  const isWanted = query !== null;
  const [replies, setReplies] = useState<TQuickReply[] | null>(null);
  // The highlight belongs to one search text; a new query starts again at the first option.
  const [active, setActive] = useState<{ query: string | null; index: number }>({ query: null, index: 0 });
  const activeIndex = active.query === query ? active.index : 0;
  const setActiveIndex = (index: number) => setActive({ query, index });
  const [dismissedDraft, setDismissedDraft] = useState<string | null>(null);

  useEffect(() => {
    if (!isWanted || replies !== null) return;
    listQuickReplies({}).then(setReplies, () => setReplies([]));
  }, [isWanted, replies]);

  const options = useMemo(
    () =>
      query === null || replies === null ? [] : filterQuickReplies(replies, query).slice(0, MAX_OPTIONS),
    [query, replies],
  );

  // Esc hides the picker for this exact draft; typing anything reopens it.
  const isOpen = isWanted && dismissedDraft !== draft;

  const pick = (reply: TQuickReply) => {
    setDismissedDraft(null);
    onPick(reply);
  };

  /** Returns true when the key was for the picker, so the compose box must not also act on it. */
  const handleKeyDown = (event: KeyboardEvent): boolean => {
    if (!isOpen) return false;
    switch (event.key) {
      case 'ArrowDown':
        setActiveIndex(options.length === 0 ? 0 : (activeIndex + 1) % options.length);
        return true;
      case 'ArrowUp':
        setActiveIndex(options.length === 0 ? 0 : (activeIndex - 1 + options.length) % options.length);
        return true;
      case 'Enter':
      case 'Tab': {
        const reply = options[activeIndex];
        if (!reply) return event.key === 'Enter' && options.length === 0 && replies === null;
        pick(reply);
        return true;
      }
      case 'Escape':
        setDismissedDraft(draft);
        return true;
      default:
        return false;
    }
  };

  return {
    isOpen,
    isLoading: isWanted && replies === null,
    options,
    activeIndex,
    setActiveIndex,
    pick,
    handleKeyDown,
  };
}
