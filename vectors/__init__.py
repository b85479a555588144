"""The golden vectors, their schemas, and the generators that made them."""
