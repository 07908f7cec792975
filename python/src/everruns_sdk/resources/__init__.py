"""Sub-clients, one module per API resource."""
