# Example student "complete": every exercise of notebook 04 right.

# %% [discriminator_loss]
def discriminator_loss(real_logits, fake_logits):
    """−mean log D(x) − mean log(1 − D(G(z))), from logits."""
    return -F.logsigmoid(real_logits).mean() - F.logsigmoid(-fake_logits).mean()


# %% [generator_losses]
def minimax_generator_loss(fake_logits):
    """mean log(1 − D(G(z)))."""
    return F.logsigmoid(-fake_logits).mean()


def nonsaturating_generator_loss(fake_logits):
    """−mean log D(G(z))."""
    return -F.logsigmoid(fake_logits).mean()


# %% [gan_iteration]
def gan_iteration(G, D, optimizer_G, optimizer_D, real_batches, nz):
    """k discriminator steps, then one generator step."""
    d_losses = []
    for x in real_batches:
        z = torch.randn(len(x), nz, device=x.device)
        with torch.no_grad():
            fakes = G(z)
        optimizer_D.zero_grad()
        loss = discriminator_loss(D(x), D(fakes))
        loss.backward()
        optimizer_D.step()
        d_losses.append(loss.item())
    z = torch.randn(len(real_batches[-1]), nz, device=real_batches[-1].device)
    optimizer_G.zero_grad()
    loss = nonsaturating_generator_loss(D(G(z)))
    loss.backward()
    optimizer_G.step()
    return d_losses, loss.item()
