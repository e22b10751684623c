-- Drill organisations: a rehearsal tenant created by (and visible to) a real organisation.
ALTER TABLE organizations ADD COLUMN parent_org_id uuid REFERENCES organizations(id) ON DELETE CASCADE;
CREATE INDEX organizations_parent_idx ON organizations (parent_org_id) WHERE parent_org_id IS NOT NULL;
