# Example student "partial": the receptive field is right, but the PatchGAN keeps the default bias on
# every convolution, so the shapes are right and the parameter count is not.
# Expected: the receptive-field test passes (2 of 2 points), the PatchGAN test fails (0 of 3).

# %% [receptive_field]
def receptive_field(layers):
    rf = 1
    for kernel, stride in reversed(layers):
        rf = (rf - 1) * stride + kernel
    return rf


# %% [patchgan]
class PatchGAN(nn.Module):
    def __init__(self, in_channels=3, ndf=64, n_layers=3):
        super().__init__()
        layers = [nn.Conv2d(in_channels, ndf, 4, 2, 1), nn.LeakyReLU(0.2)]
        width = ndf
        for n in range(1, n_layers + 1):
            out = ndf * min(2**n, 8)
            layers += [nn.Conv2d(width, out, 4, 2 if n < n_layers else 1, 1), nn.BatchNorm2d(out), nn.LeakyReLU(0.2)]
            width = out
        layers.append(nn.Conv2d(width, 1, 4, 1, 1))
        self.main = nn.Sequential(*layers)
        self.apply(init_dcgan_weights)

    def forward(self, x):
        return self.main(x)
