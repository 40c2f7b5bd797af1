"""Tests of coursekit.gan.arithmetic: convolution output sizes and receptive fields."""

import pytest
import torch
from torch import nn

from coursekit.gan.arithmetic import conv_output_size, conv_transpose_output_size, receptive_field


@pytest.mark.parametrize(
    "size, kernel, stride, padding, dilation",
    [(64, 4, 2, 1, 1), (32, 3, 1, 1, 1), (7, 3, 2, 0, 1), (30, 4, 1, 1, 1), (28, 5, 3, 2, 2), (4, 4, 1, 0, 1)],
)
def test_conv_output_size_matches_torch(size, kernel, stride, padding, dilation):
    layer = nn.Conv2d(1, 1, kernel, stride=stride, padding=padding, dilation=dilation)
    expected = layer(torch.zeros(1, 1, size, size)).shape[-1]
    assert conv_output_size(size, kernel, stride, padding, dilation) == expected


@pytest.mark.parametrize(
    "size, kernel, stride, padding, output_padding",
    [(1, 4, 1, 0, 0), (4, 4, 2, 1, 0), (16, 4, 2, 1, 0), (5, 3, 2, 1, 1), (7, 5, 3, 2, 2), (8, 3, 1, 1, 0)],
)
def test_conv_transpose_output_size_matches_torch(size, kernel, stride, padding, output_padding):
    layer = nn.ConvTranspose2d(1, 1, kernel, stride=stride, padding=padding, output_padding=output_padding)
    expected = layer(torch.zeros(1, 1, size, size)).shape[-1]
    assert conv_transpose_output_size(size, kernel, stride, padding, output_padding) == expected


def test_conv_transpose_doubles_with_dcgan_settings():
    assert [conv_transpose_output_size(s, 4, 2, 1) for s in (4, 8, 16, 32)] == [8, 16, 32, 64]


def test_receptive_field_single_layer_is_kernel():
    assert receptive_field([(7, 3)]) == 7


def test_receptive_field_pix2pix_stack_is_70():
    assert receptive_field([(4, 2), (4, 2), (4, 2), (4, 1), (4, 1)]) == 70


def test_receptive_field_two_3x3_is_5():
    assert receptive_field([(3, 1), (3, 1)]) == 5


def test_receptive_field_empty_stack_rejected():
    with pytest.raises(ValueError, match="layers is empty"):
        receptive_field([])


def test_conv_output_size_kernel_too_large_rejected():
    with pytest.raises(ValueError, match="does not fit"):
        conv_output_size(3, 5)


def test_conv_transpose_output_padding_too_large_rejected():
    with pytest.raises(ValueError, match="output_padding must be smaller than stride 2"):
        conv_transpose_output_size(4, 4, stride=2, output_padding=2)
