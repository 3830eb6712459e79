-- What a staged release goes live as once approved: the checked, inspected release as it was when
-- staged (served manifest, digests, sizes, tags, access, verified provenance), so approval does
-- not inspect it again. Null for stages made before this column existed.
ALTER TABLE stages ADD COLUMN release TEXT;
