"""Data of the demo catalogue: fields, procedures and e-form schemas."""
