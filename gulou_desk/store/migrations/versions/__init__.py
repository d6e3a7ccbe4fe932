"""Revisions of the local store, in order; never edit one that has shipped."""
