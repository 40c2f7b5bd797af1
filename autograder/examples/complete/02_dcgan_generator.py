# Example student "complete": every exercise of notebook 02 right.

# %% [output_size]
def output_size(size, kernel, stride, padding):
    """Output size of a transposed convolution."""
    return stride * (size - 1) + kernel - 2 * padding


# %% [generator]
class DCGAN64(nn.Module):
    """G_θ for 64×64 images."""

    def __init__(self, nz=100, ngf=64, channels=3):
        super().__init__()
        widths = [nz, ngf * 8, ngf * 4, ngf * 2, ngf]
        layers = []
        for position, (width_in, width_out) in enumerate(zip(widths, widths[1:])):
            stride, padding = (1, 0) if position == 0 else (2, 1)
            layers += [nn.ConvTranspose2d(width_in, width_out, 4, stride, padding, bias=False),
                       nn.BatchNorm2d(width_out), nn.ReLU()]
        layers += [nn.ConvTranspose2d(ngf, channels, 4, 2, 1, bias=False), nn.Tanh()]
        self.main = nn.Sequential(*layers)
        self.apply(init_dcgan_weights)

    def forward(self, z):
        return self.main(z.reshape(z.shape[0], -1, 1, 1))
