# Example student "complete": every exercise of notebook 03 right.

# %% [receptive_field]
def receptive_field(layers):
    """Receptive field of a stack of (kernel, stride) convolutions."""
    rf = 1
    for kernel, stride in layers[::-1]:
        rf = rf * stride - stride + kernel
    return rf


# %% [patchgan]
class PatchGAN(nn.Module):
    """Per-patch discriminator of pix2pix."""

    def __init__(self, in_channels=3, ndf=64, n_layers=3):
        super().__init__()
        widths = [ndf * min(2**n, 8) for n in range(n_layers + 1)]
        layers = [nn.Conv2d(in_channels, widths[0], 4, 2, 1), nn.LeakyReLU(0.2)]
        for n in range(1, n_layers + 1):
            layers.append(nn.Conv2d(widths[n - 1], widths[n], 4, 2 if n < n_layers else 1, 1, bias=False))
            layers.append(nn.BatchNorm2d(widths[n]))
            layers.append(nn.LeakyReLU(0.2))
        layers.append(nn.Conv2d(widths[-1], 1, 4, 1, 1))
        self.main = nn.Sequential(*layers)
        self.apply(init_dcgan_weights)

    def forward(self, x):
        return self.main(x)
