-- The release review counts the packages one account published in the last hour on every publish
-- (publish-burst): with the name in the index the count reads the index alone, not each version's
-- row, which an account publishing many packages in a row made the largest read of a publish.
CREATE INDEX versions_publisher_names ON versions (publisher, published, name);
DROP INDEX versions_publisher;
