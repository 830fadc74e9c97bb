"""The record's rules: who may write (permissions, the one decision; roles, the groups), the
write guard, versions, trash, history and restore, services (multi-model writes), completeness.
Changing a file here needs a test for every write path."""
