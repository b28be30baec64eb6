"""청렴신문고 and the institutions' own registers: the rules, free of Django.

- ``receipt``: the reporter's receipt code and passphrase, the lookup id and the verifier.
- ``scrub``: attachments with their metadata removed (or refused).
- ``sealed``: a waiting report or answer as one padded frame (header and files).
- ``rules``: the vocabulary (fields, kinds, statuses ...) from ``reporting.yaml``, the
  coarse date, the deadline and the one-strike-out rule.
"""
