"""Files of the clusters' online space: encrypted at rest under random names in a
directory of their own (``INTEGRITY_CLUSTER_FILES_DIR``) that no URL maps to, through the
project's one encrypted store; only the space's download view reads them back, after
checking membership."""

from __future__ import annotations

from integrity.web.encrypted_files import EncryptedStore

_files = EncryptedStore("INTEGRITY_CLUSTER_FILES_DIR")
save, read, remove = _files.save, _files.read, _files.remove
