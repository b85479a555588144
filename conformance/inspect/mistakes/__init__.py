"""What ``inspect`` knows of each flow, one module per flow: its mistakes (named by the flow's vector flags), its
quirks, how its artifacts decode into layers and, where no reference implements the consumer op, its oracle."""
