// No protos yet.
