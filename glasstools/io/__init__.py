from .tables import write_table, read_table, provenance, atomic_path

__all__ = ["write_table", "read_table", "provenance", "atomic_path"]
