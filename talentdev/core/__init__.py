"""The bottom layer every app builds on: the timestamped base model, the access mechanism
and the helpers services share. It imports no app of the product."""
