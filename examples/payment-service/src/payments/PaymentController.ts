import { Body, Controller, Get, Post, UnprocessableEntityException } from '@nestjs/common';
import { parseCreatePaymentDto } from './CreatePaymentDto.js';
import { PaymentService } from './PaymentService.js';
import { SimulatedFailureError } from './SimulatedFailureError.js';

@Controller()
export class PaymentController {
  constructor(private readonly payments: PaymentService) {}

  /** 201 `{ id }`; 422 `{ error, paymentId }` when the request asked to fail (nothing was kept); 400 on a bad body. */
  @Post('payments')
  async create(@Body() body: unknown): Promise<{ id: string }> {
    const dto = parseCreatePaymentDto(body);
    try {
      const payment = await this.payments.create(dto);
      return { id: payment.id };
    } catch (error) {
      if (error instanceof SimulatedFailureError) {
        throw new UnprocessableEntityException({ error: error.name, paymentId: error.paymentId, message: error.message });
      }
      throw error;
    }
  }

  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
