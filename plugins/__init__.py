"""Built-in validator plugins: one package per rule prefix."""
