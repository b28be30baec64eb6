"""Evidence files of cases on disk: encrypted, random names, under INTEGRITY_EVIDENCE_DIR
(the shared store, integrity.web.encrypted_files). Only the evidence views read them
back, after checking who asks."""

from __future__ import annotations

from integrity.web.encrypted_files import EncryptedStore

_store = EncryptedStore("INTEGRITY_EVIDENCE_DIR")
save, read, remove = _store.save, _store.read, _store.remove
