-- 010: the same data is the same ledger, whatever its compression. ingestions.checksum is the sha256 of the
-- bytes delivered; content_checksum is that of the content once decompressed (the same for a plain file), so
-- that a gzipped copy of an ingested file, or the plain file of an ingested .gz, is recognised and skipped.
-- NULL for ingestions recorded before 010 (their checksum still matches a plain file's content).
ALTER TABLE ingestions ADD COLUMN content_checksum VARCHAR;
