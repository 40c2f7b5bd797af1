# Example student "partial": takes log(sigmoid(·)) directly, and reuses the discriminator's last
# fakes for the generator step (no fresh noise), two common slips.
# Expected: the discriminator-loss test fails on extreme logits (0 of 2 points), both generator
# losses pass (2 of 2 and 2 of 2), the iteration test fails (0 of 3): 4 of 9.

# %% [discriminator_loss]
def discriminator_loss(real_logits, fake_logits):
    return -(torch.log(torch.sigmoid(real_logits)).mean() + torch.log(1 - torch.sigmoid(fake_logits)).mean())


# %% [generator_losses]
def minimax_generator_loss(fake_logits):
    return -F.softplus(fake_logits).mean()


def nonsaturating_generator_loss(fake_logits):
    return F.softplus(-fake_logits).mean()


# %% [gan_iteration]
def gan_iteration(G, D, optimizer_G, optimizer_D, real_batches, nz):
    d_losses = []
    for x in real_batches:
        z = torch.randn(x.shape[0], nz, device=x.device)
        fakes = G(z)
        loss_D = discriminator_loss(D(x), D(fakes.detach()))
        optimizer_D.zero_grad()
        loss_D.backward()
        optimizer_D.step()
        d_losses.append(loss_D.item())
    loss_G = nonsaturating_generator_loss(D(fakes))
    optimizer_G.zero_grad()
    loss_G.backward()
    optimizer_G.step()
    return d_losses, loss_G.item()
