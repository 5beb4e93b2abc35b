"""A province-year workload simulator: realistic dossiers with their audit chains, loaded in bulk."""
