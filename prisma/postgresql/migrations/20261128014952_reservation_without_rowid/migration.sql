-- The Reservation table only holds calls in flight (settled within a fraction of a second): the sweeper's
-- once-a-second look for expired rows reads a handful of them without an index, and admission's insert no longer
-- writes one (SQLite's migration of the same name says more).
DROP INDEX "Reservation_expiresAtMs_idx";
