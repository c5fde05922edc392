"""Use cases that touch the database. They flush, raise DomainError, and never commit."""
