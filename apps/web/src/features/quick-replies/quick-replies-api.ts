import {
  type TCreateQuickReplyRequest,
  type TQuickReply,
  type TQuickReplyCategory,
  ZQuickReply,
} from '@peakdesk/contracts';
import { api, withQuery } from '../../lib/api-client.ts';

const ZQuickReplyList = ZQuickReply.array();

export function listQuickReplies(query: {
  q?: string;
  category?: TQuickReplyCategory;
}): Promise<TQuickReply[]> {
  return api.get(withQuery('/api/quick-replies', query), ZQuickReplyList);
}

export function createQuickReply(body: TCreateQuickReplyRequest): Promise<TQuickReply> {
  return api.post('/api/quick-replies', body, ZQuickReply);
}

export function updateQuickReply(id: string, body: Partial<TCreateQuickReplyRequest>): Promise<TQuickReply> {
  return api.patch(`/api/quick-replies/${encodeURIComponent(id)}`, body, ZQuickReply);
}

export function deleteQuickReply(id: string): Promise<void> {
  return api.fire(`/api/quick-replies/${encodeURIComponent(id)}`, 'DELETE');
}

/** Matches the picker's search: shortcut, title or body contains the query, shortcut prefix ranks first. */
export function filterQuickReplies(replies: readonly TQuickReply[], query: string): TQuickReply[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...replies];
  const scored: { reply: TQuickReply; rank: number }[] = [];
  for (const reply of replies) {
    const shortcut = reply.shortcut.toLowerCase();
    let rank = -1;
    if (shortcut.startsWith(q)) rank = 0;
    else if (shortcut.includes(q)) rank = 1;
    else if (reply.title.toLowerCase().includes(q)) rank = 2;
    else if (reply.body.toLowerCase().includes(q)) rank = 3;
    if (rank >= 0) scored.push({ reply, rank });
  }
  return scored.sort((a, b) => a.rank - b.rank).map((s) => s.reply);
}
