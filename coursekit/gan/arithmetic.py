"""Convolution arithmetic: output sizes of strided and fractionally-strided convolutions, and
the receptive field of a stack of convolutions.

Reference: V. Dumoulin and F. Visin, "A guide to convolution arithmetic for deep learning",
arXiv:1603.07285 (2016), chapters 2 and 4.
"""

from __future__ import annotations

from collections.abc import Iterable


def _check_non_negative_int(name: str, value: int, minimum: int = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an integer of at least {minimum}; got {value!r}")


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Return the output height (or width) of a convolution, in pixels.

    Args:
        size: input height or width in pixels.
        kernel, stride, padding, dilation: the convolution's settings along that axis, as
            `torch.nn.Conv2d` takes them.

    Raises:
        ValueError: the kernel does not fit into the padded input.

    Notes:
        o = ⌊(i + 2p − d·(k − 1) − 1) / s⌋ + 1 (Dumoulin and Visin 2016, chapter 2; the
        dilation term as in the `torch.nn.Conv2d` documentation).
    """
    _check_non_negative_int("size", size, 1)
    _check_non_negative_int("kernel", kernel, 1)
    _check_non_negative_int("stride", stride, 1)
    _check_non_negative_int("padding", padding)
    _check_non_negative_int("dilation", dilation, 1)
    span = dilation * (kernel - 1) + 1
    if size + 2 * padding < span:
        raise ValueError(
            f"a kernel spanning {span} pixels does not fit into an input of {size} pixels with padding "
            f"{padding}; use a larger input or more padding"
        )
    return (size + 2 * padding - span) // stride + 1


def conv_transpose_output_size(
    size: int, kernel: int, stride: int = 1, padding: int = 0, output_padding: int = 0, dilation: int = 1
) -> int:
    """Return the output height (or width) of a fractionally-strided (transposed) convolution.

    Args:
        size: input height or width in pixels.
        kernel, stride, padding, output_padding, dilation: the settings along that axis, as
            `torch.nn.ConvTranspose2d` takes them; `output_padding` must be smaller than `stride`.

    Notes:
        o = (i − 1)·s − 2p + d·(k − 1) + output_padding + 1. It inverts `conv_output_size`:
        a stride-s convolution maps o pixels back to i (Dumoulin and Visin 2016, chapter 4).
        With k = 4, s = 2, p = 1 each layer doubles the size, as in the DCGAN generator.
    """
    _check_non_negative_int("size", size, 1)
    _check_non_negative_int("kernel", kernel, 1)
    _check_non_negative_int("stride", stride, 1)
    _check_non_negative_int("padding", padding)
    _check_non_negative_int("dilation", dilation, 1)
    _check_non_negative_int("output_padding", output_padding)
    if output_padding >= stride:
        raise ValueError(f"output_padding must be smaller than stride {stride}; got {output_padding}")
    out = (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1
    if out < 1:
        raise ValueError(f"padding {padding} removes the whole output of size {out + 2 * padding}; use less padding")
    return out


def receptive_field(layers: Iterable[tuple[int, int]]) -> int:
    """Return how many input pixels (along one axis) one output unit of a stack of convolutions sees.

    Args:
        layers: (kernel, stride) per convolution, from the input layer to the output layer.
            Padding does not change the receptive field, only where it sits.

    Notes:
        Walk back from one output unit (rf = 1) through the layers in reverse order:
        rf ← (rf − 1)·stride + kernel. For the pix2pix PatchGAN with three stride-2 and two
        stride-1 convolutions of kernel 4 this gives 70 (Isola et al. 2017, "Image-to-Image
        Translation with Conditional Adversarial Networks", section 3.2.2 and appendix 6.1.2).
    """
    layers = list(layers)
    if not layers:
        raise ValueError("layers is empty; pass one (kernel, stride) pair per convolution")
    rf = 1
    for position, layer in enumerate(reversed(layers)):
        if len(layer) != 2:
            raise ValueError(f"each layer must be a (kernel, stride) pair; got {layer!r}")
        kernel, stride = layer
        _check_non_negative_int(f"kernel of layer {len(layers) - 1 - position}", kernel, 1)
        _check_non_negative_int(f"stride of layer {len(layers) - 1 - position}", stride, 1)
        rf = (rf - 1) * stride + kernel
    return rf
