-- Leave-a-message after the max wait is offered to the waiting customer, not applied: the offer lives on
-- the conversation (so it survives a page reload) until the customer leaves a message (conversation
-- closed) or keeps waiting ('declined', same place in the queue). The placeholder keeps what the
-- customer wrote and how to reach them.
ALTER TABLE conversations ADD COLUMN leave_message_offer text
  CHECK (leave_message_offer IN ('offered', 'declined'));
ALTER TABLE ticket_placeholders ADD COLUMN message text NOT NULL DEFAULT '';
ALTER TABLE ticket_placeholders ADD COLUMN contact text;
