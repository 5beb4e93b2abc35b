"""Pages of the back office (/can-bo/): thin views over backoffice.selectors and the services."""
