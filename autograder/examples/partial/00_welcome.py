# Example student "partial": scales to [0, 1] instead of [-1, 1], a common slip.
# Expected: the values test fails (0 of 2 points), the shape and dtype test passes (1 of 1).

# %% [normalize]
def normalize(pixels):
    return pixels.float() / 255
