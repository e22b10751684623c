-- After hours (afterHoursAction leave_message) the customer is offered leave-a-message too, instead of an
-- empty placeholder being recorded at once: the conversation stays active ('queued', so the customer keeps
-- writing into it) but is held out of the group's queue while leave_message_offer = 'after_hours' (no
-- agent is assigned, not counted in queue length, wait or service level). The marker stays after the
-- conversation closes, so the service level keeps leaving it out.
ALTER TABLE conversations DROP CONSTRAINT conversations_leave_message_offer_check;
ALTER TABLE conversations ADD CONSTRAINT conversations_leave_message_offer_check
  CHECK (leave_message_offer IN ('offered', 'declined', 'after_hours'));
-- Supervisors mark a left message handled (status 'closed'): who and when.
ALTER TABLE ticket_placeholders ADD COLUMN handled_at timestamptz;
ALTER TABLE ticket_placeholders ADD COLUMN handled_by uuid REFERENCES users(id) ON DELETE SET NULL;
CREATE INDEX ticket_placeholders_org_idx ON ticket_placeholders (org_id, created_at DESC);
