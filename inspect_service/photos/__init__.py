"""Photos: uploads verified, stripped and re-encoded; bytes kept by SHA-256 in the storage."""
