# Example student "partial": subtracts the padding once instead of from both sides, a common slip.
# Expected: the output-size test fails (0 of 2 points), the generator test passes (3 of 3).

# %% [output_size]
def output_size(size, kernel, stride, padding):
    return (size - 1) * stride - padding + kernel


# %% [generator]
class DCGAN64(nn.Module):
    def __init__(self, nz=100, ngf=64, channels=3):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 8), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
            nn.ConvTranspose2d(ngf, channels, 4, 2, 1, bias=False), nn.Tanh(),
        )
        self.apply(init_dcgan_weights)

    def forward(self, z):
        return self.main(z.reshape(z.shape[0], -1, 1, 1))
