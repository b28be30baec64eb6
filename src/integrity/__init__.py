"""청렴도 측정 플랫폼 (integrity assessment platform)."""
