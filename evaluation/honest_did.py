"""placeholder"""
def event_study_sensitivity(event_times, by_e, level):
    return None
