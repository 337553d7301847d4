print("audio-loop: not built yet")
