"""One module per kata, each defining `KATA`: the declarative spec the engine grades against."""
