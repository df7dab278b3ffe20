-- A collection's content version, so that every replica's in-memory search index can follow
-- documents committed through another. Any change to a document row (added, re-ingested, marked
-- ready or failed, removed) bumps its collection's content_version in the same transaction, and
-- an added or changed document records the version it was changed at. The bump takes the
-- collection row's lock until commit, so versions are handed out in commit order: a reader that
-- saw version V finds everything committed after it among the documents with content_version > V.
ALTER TABLE rag_collections ADD COLUMN content_version bigint NOT NULL DEFAULT 0;
ALTER TABLE rag_documents ADD COLUMN content_version bigint NOT NULL DEFAULT 0;

-- One bump per collection and transaction: the version is kept in a transaction-local setting.
CREATE FUNCTION keel_rag_content_version(collection text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  seen text := current_setting('keel.rag_content_version', true);
  version bigint;
BEGIN
  IF seen IS NOT NULL AND seen <> '' AND split_part(seen, '|', 1) = collection THEN
    RETURN split_part(seen, '|', 2)::bigint;
  END IF;
  UPDATE rag_collections SET content_version = content_version + 1 WHERE id = collection
    RETURNING content_version INTO version;
  IF version IS NOT NULL THEN
    PERFORM set_config('keel.rag_content_version', collection || '|' || version, true);
  END IF;
  RETURN COALESCE(version, 0);
END
$$;

CREATE FUNCTION keel_rag_document_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM keel_rag_content_version(OLD.collection_id);
    RETURN NULL;
  END IF;
  NEW.content_version := keel_rag_content_version(NEW.collection_id);
  RETURN NEW;
END
$$;

CREATE TRIGGER rag_documents_content_version BEFORE INSERT OR UPDATE ON rag_documents
  FOR EACH ROW EXECUTE FUNCTION keel_rag_document_changed();
CREATE TRIGGER rag_documents_content_removed AFTER DELETE ON rag_documents
  FOR EACH ROW EXECUTE FUNCTION keel_rag_document_changed();
