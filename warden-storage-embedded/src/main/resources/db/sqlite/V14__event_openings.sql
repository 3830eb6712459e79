-- A change to a restricted package is logged as a commitment (an HMAC of its statement); the
-- statement itself, which opens the commitment, is kept here for the package's readers.
ALTER TABLE registry_events ADD COLUMN opening TEXT;
