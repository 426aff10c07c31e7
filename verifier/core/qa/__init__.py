"""Quality assurance of the verification: seeded samples for a blind second review, the
second decisions and a lead's adjudications, agreement and the error rate, and the gate
they put on publishing."""
