"""Tests of the DCGAN, conditional and PatchGAN networks: shapes, parameter counts, initialisation."""

import pytest
import torch
from torch import nn

from coursekit.gan import (
    ConditionalDiscriminator,
    ConditionalGenerator,
    Discriminator,
    Generator,
    PatchDiscriminator,
    count_parameters,
    patchgan_receptive_field,
)
from coursekit.gan.arithmetic import receptive_field


@pytest.mark.parametrize("image_size, channels", [(8, 1), (16, 3), (32, 1), (32, 3), (64, 3), (128, 1)])
def test_generator_output_shape(image_size, channels):
    generator = Generator(nz=16, ngf=4, channels=channels, image_size=image_size)
    assert generator(torch.randn(2, 16)).shape == (2, channels, image_size, image_size)


def test_generator_accepts_4d_noise():
    generator = Generator(nz=16, ngf=4, channels=1, image_size=32)
    assert generator(torch.randn(3, 16, 1, 1)).shape == (3, 1, 32, 32)


def test_generator_output_within_tanh_range():
    images = Generator(nz=16, ngf=4, channels=1, image_size=32)(torch.randn(8, 16) * 10)
    assert images.min() >= -1
    assert images.max() <= 1


@pytest.mark.parametrize("image_size, channels", [(8, 1), (16, 3), (32, 1), (64, 3)])
def test_discriminator_returns_one_logit_per_image(image_size, channels):
    discriminator = Discriminator(ndf=4, channels=channels, image_size=image_size)
    assert discriminator(torch.randn(5, channels, image_size, image_size)).shape == (5,)


def test_generator_parameter_count_matches_dcgan_reference():
    assert count_parameters(Generator(nz=100, ngf=64, channels=3, image_size=64)) == 3_576_704


def test_discriminator_parameter_count_matches_dcgan_reference():
    assert count_parameters(Discriminator(ndf=64, channels=3, image_size=64)) == 2_765_568


def test_generator_64_has_four_stride_2_layers():
    generator = Generator(nz=100, ngf=64, channels=3, image_size=64)
    strides = [m.stride[0] for m in generator.modules() if isinstance(m, nn.ConvTranspose2d)]
    assert strides == [1, 2, 2, 2, 2]


def test_generator_32_has_three_stride_2_layers():
    generator = Generator(nz=100, ngf=64, channels=3, image_size=32)
    strides = [m.stride[0] for m in generator.modules() if isinstance(m, nn.ConvTranspose2d)]
    assert strides == [1, 2, 2, 2]


def test_discriminator_first_layer_has_no_batchnorm():
    layers = list(Discriminator(ndf=8, channels=3, image_size=32).main)
    assert isinstance(layers[0], nn.Conv2d)
    assert isinstance(layers[1], nn.LeakyReLU)
    assert layers[1].negative_slope == 0.2


def test_dcgan_initialisation_statistics():
    torch.manual_seed(0)
    generator = Generator(nz=100, ngf=64, channels=3, image_size=64)
    conv = generator.main[3].weight
    batchnorm = generator.main[1]
    assert abs(conv.mean().item()) < 1e-3
    assert conv.std().item() == pytest.approx(0.02, rel=0.05)
    assert batchnorm.weight.mean().item() == pytest.approx(1.0, abs=0.01)
    assert batchnorm.weight.std().item() == pytest.approx(0.02, rel=0.2)
    assert torch.all(batchnorm.bias == 0)


def test_generator_wrong_noise_shape_message():
    generator = Generator(nz=100, ngf=8, channels=1, image_size=32)
    with pytest.raises(ValueError) as error:
        generator(torch.randn(64, 128))
    assert str(error.value) == "z must have shape (N, 100) or (N, 100, 1, 1); got (64, 128)"


@pytest.mark.parametrize("image_size", [0, 4, 24, 48, 100])
def test_generator_image_size_not_power_of_two_rejected(image_size):
    with pytest.raises(ValueError, match=f"power of two of at least 8.*got {image_size}"):
        Generator(image_size=image_size)


def test_discriminator_image_size_not_power_of_two_rejected():
    with pytest.raises(ValueError, match="power of two"):
        Discriminator(image_size=28)


def test_discriminator_wrong_image_shape_message():
    discriminator = Discriminator(ndf=8, channels=1, image_size=32)
    with pytest.raises(ValueError, match=r"x must have shape \(N, 1, 32, 32\); got \(2, 3, 32, 32\)"):
        discriminator(torch.randn(2, 3, 32, 32))


def test_conditional_generator_output_shape():
    generator = ConditionalGenerator(num_classes=10, nz=16, ngf=4, channels=1, image_size=32)
    assert generator(torch.randn(4, 16), torch.tensor([0, 3, 9, 3])).shape == (4, 1, 32, 32)


def test_conditional_generator_depends_on_label():
    generator = ConditionalGenerator(num_classes=10, nz=16, ngf=4, channels=1, image_size=32).eval()
    z = torch.randn(1, 16)
    assert not torch.allclose(generator(z, torch.tensor([1])), generator(z, torch.tensor([7])))


def test_conditional_discriminator_depends_on_label():
    discriminator = ConditionalDiscriminator(num_classes=10, ndf=4, channels=1, image_size=32).eval()
    x = torch.randn(1, 1, 32, 32)
    assert discriminator(x, torch.tensor([1])).item() != discriminator(x, torch.tensor([7])).item()


def test_conditional_label_out_of_range_rejected():
    generator = ConditionalGenerator(num_classes=10, nz=16, ngf=4, channels=1, image_size=32)
    with pytest.raises(ValueError, match=r"labels in 0..9; got values from 0 to 10"):
        generator(torch.randn(2, 16), torch.tensor([0, 10]))


def test_patchgan_256_input_gives_30x30_map():
    discriminator = PatchDiscriminator(in_channels=3, ndf=8, n_layers=3)
    assert discriminator(torch.randn(1, 3, 256, 256)).shape == (1, 1, 30, 30)


@pytest.mark.parametrize("n_layers, expected", [(1, 16), (2, 34), (3, 70), (4, 142), (5, 286)])
def test_patchgan_receptive_field_by_n_layers(n_layers, expected):
    assert patchgan_receptive_field(n_layers) == expected


def test_patchgan_receptive_field_matches_its_layers():
    discriminator = PatchDiscriminator(ndf=4, n_layers=3)
    convs = [(m.kernel_size[0], m.stride[0]) for m in discriminator.modules() if isinstance(m, nn.Conv2d)]
    assert receptive_field(convs) == discriminator.receptive_field == 70


def test_patchgan_unit_gradient_covers_70x70_pixels():
    discriminator = PatchDiscriminator(in_channels=1, ndf=4, n_layers=3).eval()
    x = torch.randn(1, 1, 256, 256, requires_grad=True)
    discriminator(x)[0, 0, 15, 15].backward()
    touched = x.grad[0, 0] != 0
    rows = touched.any(dim=1).nonzero().flatten()
    columns = touched.any(dim=0).nonzero().flatten()
    assert rows.max() - rows.min() + 1 == 70
    assert columns.max() - columns.min() + 1 == 70


def test_patchgan_conditional_mode_takes_pairs():
    discriminator = PatchDiscriminator(in_channels=3, ndf=4, n_layers=2, condition_channels=1)
    assert discriminator(torch.randn(2, 3, 64, 64), torch.randn(2, 1, 64, 64)).shape == (2, 1, 14, 14)


def test_patchgan_conditional_mode_without_condition_rejected():
    discriminator = PatchDiscriminator(in_channels=3, ndf=4, n_layers=2, condition_channels=1)
    with pytest.raises(ValueError, match="image-conditional: pass condition"):
        discriminator(torch.randn(2, 3, 64, 64))
