"""fold stage."""
