print("realtime-call: not built yet")
