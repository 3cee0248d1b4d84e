print("bertconv")
